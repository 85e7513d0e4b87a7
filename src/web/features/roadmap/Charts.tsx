import '@mantine/charts/styles.layer.css';
import { BarChart, LineChart } from '@mantine/charts';

/**
 * The dashboard's charts (@mantine/charts over recharts): loaded by the roadmap page after its
 * tables (React.lazy in Roadmap.tsx), never with the app's main script. Each chart is a picture
 * of the table beside it, which carries the same figures for reading and for assistive
 * technology: the chart is an image with a short name, recharts' keyboard layer is off.
 */
export interface ChartSeries {
  name: string;
  label: string;
  color: string;
}

interface Common {
  /** The image's accessible name. */
  label: string;
  data: Record<string, string | number | null>[];
  dataKey: string;
  series: ChartSeries[];
  valueFormatter?: (value: number) => string;
}

export function RoadmapBarChart({ label, data, dataKey, series, valueFormatter, stacked }: Common & { stacked?: boolean }) {
  return (
    <div role="img" aria-label={label}>
      <BarChart
        h={280}
        data={data}
        dataKey={dataKey}
        series={series}
        type={stacked ? 'stacked' : 'default'}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        tickLine="y"
        accessibilityLayer={false}
        valueFormatter={valueFormatter}
        // Counts: whole numbers on the axis.
        yAxisProps={{ allowDecimals: false }}
      />
    </div>
  );
}

export function RoadmapLineChart({ label, data, dataKey, series, valueFormatter, max }: Common & { max?: number }) {
  return (
    <div role="img" aria-label={label}>
      <LineChart
        h={280}
        data={data}
        dataKey={dataKey}
        series={series}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        curveType="linear"
        connectNulls={false}
        tickLine="y"
        accessibilityLayer={false}
        valueFormatter={valueFormatter}
        yAxisProps={max === undefined ? { allowDecimals: false } : { allowDecimals: false, domain: [0, max] }}
      />
    </div>
  );
}
