/** The report module's public face, for the CLI. */
export { ReportInputError } from "./report-input-error.ts";
export { writeRunReport, writeComparisonReport, writeComparisonReportFromJson, loadRunReportData, sqliteRunSource, type WrittenReport } from "./write-report.ts";
export { shapeRunReport, defaultShapeOptions, type RunReportData, type RunReportSource, type RunMeta, type ShapeOptions } from "./run-data.ts";
export { renderRunReportHtml } from "./run-report-html.ts";
export { parseComparisonResult, type ComparisonResult } from "./comparison-result.ts";
export { shapeComparisonReport, type ComparisonReportData } from "./comparison-data.ts";
export { renderComparisonReportHtml } from "./comparison-report-html.ts";
