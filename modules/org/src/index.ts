import { defineModule } from '@tenon/design';
import { companyEntity } from './entities/company.entity.ts';

/** Organisation: the companies of a tenant. */
export const orgModule = defineModule({
  name: 'org',
  label: { 'zh-CN': '组织', en: 'Organisation' },
  entities: [companyEntity],
});
