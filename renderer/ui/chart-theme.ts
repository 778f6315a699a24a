import type { DeepPartial, TimeChartOptions } from 'lightweight-charts';
import { ColorType } from 'lightweight-charts';

/**
 * The workstation's look for time-series charts (charts panel, backtest panel): dark panes,
 * muted text, resizable pane separators. The attribution the library's licence asks for is a
 * visible link in each panel instead of the logo.
 */
export function timeChartTheme(host: HTMLElement): DeepPartial<TimeChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: '#12161c' },
      textColor: '#7d8a99',
      fontSize: 11,
      fontFamily: getComputedStyle(host).fontFamily,
      attributionLogo: false,
      panes: { separatorColor: '#263040', separatorHoverColor: 'rgba(88, 166, 255, 0.15)', enableResize: true },
    },
    grid: { vertLines: { color: '#1a212b' }, horzLines: { color: '#1a212b' } },
  };
}
