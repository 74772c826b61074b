export { formatReport } from './format-report.js';
export {
  type EvaluationOptions,
  type EvaluationReport,
  type RecommenderResult,
  runEvaluation,
} from './run-evaluation.js';
