import { AllCommunityModule, colorSchemeDark, ModuleRegistry, themeQuartz } from 'ag-grid-community';

ModuleRegistry.registerModules([AllCommunityModule]);

/** One dense dark grid theme for every table in the workstation. */
export const gridTheme = themeQuartz.withPart(colorSchemeDark).withParams({
  backgroundColor: '#12161c',
  foregroundColor: '#d6dde6',
  headerBackgroundColor: '#181e26',
  fontSize: 12,
  rowHeight: 24,
  headerHeight: 28,
  spacing: 4,
  borderColor: '#263040',
  valueChangeValueHighlightBackgroundColor: 'rgba(88, 166, 255, 0.32)',
});
