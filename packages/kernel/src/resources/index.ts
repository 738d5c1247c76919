export { resourceEntity } from './resource.entity.ts';
