/** The JSON Schemas the server validates records with, from its live OpenAPI document. */
import { useQuery } from '@tanstack/react-query';
import type { Schema } from '../form/validate-schema.ts';
import { rawApi } from './client.ts';

type OpenApi = { components?: { schemas?: Record<string, Schema> } };

export function useRecordSchemas() {
  return useQuery({
    queryKey: ['openapi'],
    queryFn: async () =>
      ((await (await rawApi('/api/openapi.json')).json()) as OpenApi).components?.schemas ?? {},
    staleTime: 30_000,
  });
}
