import { useEffect, useRef } from 'react';

/**
 * A row's selection box in a long list: the browser's own checkbox, in the theme's colour.
 * Mantine's Checkbox is a small component tree per box (seven elements, its styles, an icon);
 * the 26 of the threat-intel list doubled the main thread's blocking time of its first load on
 * a phone (Lighthouse TBT about 360 ms against 180 with these). Forms keep Mantine's.
 */
export function SelectBox({ label, checked, indeterminate = false, onChange }: { label: string; checked: boolean; indeterminate?: boolean; onChange: (checked: boolean) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  // `indeterminate` is a property of the element, not an attribute.
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return <input ref={ref} type="checkbox" className="select-box" aria-label={label} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />;
}
