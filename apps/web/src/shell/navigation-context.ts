import { createContext, useContext } from 'react';
import type { NavEntity, Navigation } from '../api/navigation.ts';

export const NavigationContext = createContext<Navigation | null>(null);

export function useEntity(name: string | undefined): NavEntity | undefined {
  const nav = useContext(NavigationContext);
  return nav?.entities.find((e) => e.name === name);
}

export const useNav = () => useContext(NavigationContext);
