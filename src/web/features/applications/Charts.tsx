import '@mantine/charts/styles.layer.css';
import { BarChart } from '@mantine/charts';

/**
 * The outcomes' charts (@mantine/charts over recharts), loaded after the page's tables
 * (React.lazy in Outcomes.tsx). Each is a picture of the table beside it, which carries the same
 * figures for reading and for assistive technology: an image with a short name.
 */
export function OutcomeBarChart({ label, data, valueLabel }: { label: string; data: { name: string; count: number }[]; valueLabel: string }) {
  return (
    <div role="img" aria-label={label}>
      <BarChart
        h={Math.max(160, 40 + data.length * 32)}
        data={data}
        dataKey="name"
        orientation="vertical"
        series={[{ name: 'count', label: valueLabel, color: 'blue.6' }]}
        tickLine="x"
        accessibilityLayer={false}
        xAxisProps={{ allowDecimals: false }}
        yAxisProps={{ width: 140 }}
      />
    </div>
  );
}
