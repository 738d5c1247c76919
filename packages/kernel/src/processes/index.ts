export { serviceKind } from '../definitions/service.kind.ts';
export * from '../domain/process-access.ts';
export { validateServiceForm } from '../domain/process-form.ts';
export * from '../domain/process-visibility.ts';
export * from '../domain/transitions.ts';
export {
  type CreateProcessInput as NewProcessInput,
  createProcess,
} from '../services/create-process.service.ts';
export { listTasks, TASK_LISTS, type Task, type TaskList } from '../services/list-tasks.service.ts';
export { type TransitionProcessInput, transitionProcess } from '../services/transition-process.service.ts';
export { ProcessErrors } from './errors.ts';
export { processMigrations } from './process.migrations.ts';
export * from './process.repository.ts';
export { PROCESS_STATE_CHANGED } from './process-log.ts';
