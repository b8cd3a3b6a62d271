// What zhantu's charts use of ECharts (app.js draws every `.chart[data-chart]` with the SVG
// renderer): bar, line, pie and scatter series; grid, tooltip, legend, title, mark lines,
// points and areas, data zoom, dataset and aria. A chart option naming anything else (a new
// series type or component) draws nothing: add it here and run scripts/echarts/build.sh.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  DatasetComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  AriaComponent,
  DatasetComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  SVGRenderer,
]);

window.echarts = echarts;
