// @jsxRuntime automatic
/** Providers (theme, locale, react-query), sign-in gate, and the routes, each its own chunk. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { signOut, tokens } from './api/client.ts';
import { Login } from './pages/Login.tsx';
import { Shell } from './shell/Shell.tsx';
import { ThemeContext, type ThemeMode } from './shell/theme.ts';
import { useReducedMotion } from './shell/useReducedMotion.ts';

const Home = lazy(() => import('./pages/Home.tsx'));
const EntityList = lazy(() => import('./pages/EntityList.tsx'));
const RecordPage = lazy(() => import('./pages/RecordPage.tsx'));
const Designer = lazy(() => import('./pages/Designer.tsx'));
const DesignObjects = lazy(() => import('./pages/DesignObjects.tsx'));
const Tasks = lazy(() => import('./pages/Tasks.tsx'));
const Schedule = lazy(() => import('./pages/Schedule.tsx'));
const Users = lazy(() => import('./pages/Users.tsx'));
const Roles = lazy(() => import('./pages/Roles.tsx'));
const Account = lazy(() => import('./pages/Account.tsx'));
const OpsPick = lazy(() => import('./ops/PickPage.tsx'));
const OpsCount = lazy(() => import('./ops/CountPage.tsx'));
const OpsReceive = lazy(() => import('./ops/ReceivePage.tsx'));
const OpsPutaway = lazy(() => import('./ops/PutawayPage.tsx'));
const OpsStock = lazy(() => import('./ops/StockPage.tsx'));
const OpsPack = lazy(() => import('./ops/PackPage.tsx'));
const OpsKanban = lazy(() => import('./ops/KanbanPage.tsx'));
const OpsPortal = lazy(() => import('./ops/PortalPage.tsx'));
const OpsTransfer = lazy(() => import('./ops/TransferShipPage.tsx'));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

export function App() {
  const { i18n } = useTranslation();
  const [mode, setMode] = useState<ThemeMode>(() =>
    localStorage.getItem('tenon.theme') === 'dark' ? 'dark' : 'light',
  );
  const [signedIn, setSignedIn] = useState(() => tokens.access !== null || tokens.refresh !== null);
  const reducedMotion = useReducedMotion();
  const toggle = () => {
    const next = mode === 'dark' ? 'light' : 'dark';
    localStorage.setItem('tenon.theme', next);
    setMode(next);
  };
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={{
        algorithm: mode === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm,
        token: { motion: !reducedMotion },
      }}
    >
      <AntApp style={{ height: '100%' }}>
        <ThemeContext.Provider value={{ mode, toggle }}>
          <QueryClientProvider client={queryClient}>
            {signedIn ? (
              <BrowserRouter>
                <Shell
                  onSignOut={() => {
                    void signOut();
                    queryClient.clear();
                    setSignedIn(false);
                  }}
                >
                  <Suspense fallback={<Spin style={{ margin: 48 }} />}>
                    <Routes>
                      <Route path="/" element={<Home />} />
                      <Route path="/data/:entity" element={<EntityList />} />
                      <Route path="/data/:entity/:id" element={<RecordPage />} />
                      <Route path="/designer" element={<Designer />} />
                      <Route path="/designer/:entity" element={<Designer />} />
                      <Route path="/designer/objects/:kind" element={<DesignObjects />} />
                      <Route path="/designer/objects/:kind/:name" element={<DesignObjects />} />
                      <Route path="/tasks" element={<Tasks />} />
                      <Route path="/schedule" element={<Schedule />} />
                      <Route path="/admin/users" element={<Users />} />
                      <Route path="/admin/roles" element={<Roles />} />
                      <Route path="/settings/account" element={<Account />} />
                      <Route path="/ops/pick" element={<OpsPick />} />
                      <Route path="/ops/count" element={<OpsCount />} />
                      <Route path="/ops/kanban" element={<OpsKanban />} />
                      <Route path="/ops/portal" element={<OpsPortal />} />
                      <Route path="/ops/transfer" element={<OpsTransfer />} />
                      <Route path="/ops/receive" element={<OpsReceive />} />
                      <Route path="/ops/putaway" element={<OpsPutaway />} />
                      <Route path="/ops/stock" element={<OpsStock />} />
                      <Route path="/ops/pack" element={<OpsPack />} />
                      <Route path="*" element={<Home />} />
                    </Routes>
                  </Suspense>
                </Shell>
              </BrowserRouter>
            ) : (
              <Login onSignedIn={() => setSignedIn(true)} />
            )}
          </QueryClientProvider>
        </ThemeContext.Provider>
      </AntApp>
    </ConfigProvider>
  );
}
