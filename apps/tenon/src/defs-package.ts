/** Definition packages: a tenant's entity definitions as one JSON or YAML file, to move between tenants. */
import { readFile, writeFile } from 'node:fs/promises';
import { type ApplyResult, applyDefinitions } from '@tenon/design';
import YAML from 'yaml';
import type { System } from './boot.ts';
import { ensureTenant } from './boot.ts';

export type DefinitionPackage = {
  format: 'tenon.definitions';
  version: 1;
  tenant: string;
  exportedAt: string;
  entities: unknown[];
};

const isYaml = (file: string) => /\.ya?ml$/i.test(file);

export async function exportDefinitions(system: System, tenantName: string, file: string): Promise<number> {
  const tenant = await ensureTenant(system, tenantName);
  const metamodel = await system.metamodels.forTenant(tenant);
  const entities = metamodel
    .definitions()
    .filter((d) => !d.def.module)
    .map((d) => d.def);
  const pkg: DefinitionPackage = {
    format: 'tenon.definitions',
    version: 1,
    tenant: tenant.name,
    exportedAt: new Date().toISOString(),
    entities,
  };
  await writeFile(file, isYaml(file) ? YAML.stringify(pkg) : `${JSON.stringify(pkg, null, 2)}\n`);
  return entities.length;
}

export async function importDefinitions(
  system: System,
  tenantName: string,
  file: string,
  options: { dryRun: boolean; confirm: boolean },
): Promise<ApplyResult> {
  const text = await readFile(file, 'utf8');
  const pkg = (isYaml(file) ? YAML.parse(text) : JSON.parse(text)) as DefinitionPackage;
  if (pkg?.format !== 'tenon.definitions' || !Array.isArray(pkg.entities)) {
    throw new Error(`${file} is not a Tenon definition package`);
  }
  const tenant = await ensureTenant(system, tenantName);
  const metamodel = await system.metamodels.forTenant(tenant);
  const result = await applyDefinitions(system.db, metamodel, pkg.entities, {
    mode: 'upsert',
    source: 'user',
    user: 'cli',
    ...options,
  });
  system.metamodels.invalidate(tenant.name);
  return result;
}
