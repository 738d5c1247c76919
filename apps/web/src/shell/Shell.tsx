// @jsxRuntime automatic
/**
 * The frame around every screen: a menu built from the entities the user may read (a drawer on a
 * phone), language and theme switches, sign-out. Tasks and the resource schedule slot in as menu groups.
 */
import { Button, Drawer, Grid, Layout, Menu, type MenuProps, Space, Spin, Switch, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { type MenuDef, useMenu } from '../api/menus.ts';
import { type Navigation, useNavigation } from '../api/navigation.ts';
import { labelOf } from '../api/types.ts';
import { opsMenu } from '../ops/menu.ts';
import { FieldServicesProvider } from './FieldServicesProvider.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { entityGroups } from './menu-groups.ts';
import { NavigationContext } from './navigation-context.ts';
import { useThemeMode } from './theme.ts';

// Header aids load after the shell (their AutoComplete, Popover and List stay out of the first load).
const GlobalSearch = lazy(() => import('./GlobalSearch.tsx').then((m) => ({ default: m.GlobalSearch })));
const NotificationBell = lazy(() =>
  import('./NotificationBell.tsx').then((m) => ({ default: m.NotificationBell })),
);
const CompanySwitcher = lazy(() =>
  import('./CompanySwitcher.tsx').then((m) => ({ default: m.CompanySwitcher })),
);

export function menuItems(
  nav: Navigation,
  lang: string,
  t: (k: string) => string,
  designed?: MenuDef | null,
): MenuProps['items'] {
  const entityItem = (name: string) => {
    const e = nav.entities.find((x) => x.name === name);
    return e ? [{ key: `/data/${e.name}`, label: labelOf(e.label, lang, e.name) }] : [];
  };
  // A designed menu's groups replace the generated "data" group (unreadable entities already left out).
  const groups = designed?.groups.length
    ? designed.groups.map((g, i) => ({
        key: `menu-${i}`,
        label: labelOf(g.label, lang, `#${i + 1}`),
        // A path may also be a top-level item: `#` keeps keys unique, navigation drops it.
        children: g.items.flatMap((item, j) =>
          item.entity
            ? entityItem(item.entity)
            : [{ key: `${item.path ?? '/'}#${i}.${j}`, label: labelOf(item.label, lang, item.path ?? '') }],
        ),
      }))
    : entityGroups(nav, lang, t('shell.data')).map((g) => ({
        key: g.key,
        label: g.label,
        children: g.entities.flatMap((e) => entityItem(e.name)),
      }));
  return [
    { key: '/', label: t('shell.home') },
    ...(nav.canWork
      ? [
          { key: '/tasks', label: t('shell.tasks') },
          { key: '/schedule', label: t('shell.schedule') },
        ]
      : []),
    ...opsMenu(nav, t),
    ...groups,
    ...(nav.canDesign
      ? [
          {
            key: 'design',
            label: t('shell.designer'),
            children: [
              { key: '/designer', label: t('shell.entities') },
              ...(['service', 'rule', 'resource_type', 'form', 'list', 'menu'] as const).map((k) => ({
                key: `/designer/objects/${k}`,
                label: t(`objects.kinds.${k}`),
              })),
            ],
          },
        ]
      : []),
    ...(nav.canAdminister
      ? [
          {
            key: 'admin',
            label: t('shell.admin'),
            children: [
              { key: '/admin/users', label: t('shell.users') },
              { key: '/admin/roles', label: t('shell.roles') },
            ],
          },
        ]
      : []),
  ];
}

export function Shell({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const { t, i18n } = useTranslation();
  const nav = useNavigation();
  const designed = useMenu();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const { mode, toggle } = useThemeMode();
  // Groups the user opened or closed; the others follow openByDefault (kept here, not in the Menu, so
  // a remounted menu, e.g. on a breakpoint change, keeps them).
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  if (nav.isError) {
    onSignOut();
    return null;
  }
  if (!nav.data) return <Spin style={{ margin: 48 }} />;
  const selected = location.pathname.startsWith('/designer/objects/')
    ? location.pathname.split('/').slice(0, 4).join('/')
    : location.pathname.split('/').slice(0, 3).join('/') || '/';
  const items = menuItems(nav.data, i18n.language, t, designed.data) ?? [];
  const groups = items.flatMap((item) =>
    item && 'children' in item && item.children ? [{ key: String(item.key), children: item.children }] : [],
  );
  const openByDefault = (g: (typeof groups)[number]) =>
    g.key === 'data' || g.key.startsWith('menu-') || g.children.some((c) => c?.key === selected);
  const openKeys = groups.filter((g) => toggled[g.key] ?? openByDefault(g)).map((g) => g.key);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      openKeys={openKeys}
      onOpenChange={(keys) => {
        const changed = groups.filter((g) => keys.includes(g.key) !== openKeys.includes(g.key));
        setToggled({ ...toggled, ...Object.fromEntries(changed.map((g) => [g.key, keys.includes(g.key)])) });
      }}
      items={items}
      onClick={({ key }) => {
        navigate(key.split('#')[0] ?? key);
        setDrawer(false);
      }}
    />
  );
  return (
    <NavigationContext.Provider value={nav.data}>
      <Layout style={{ minHeight: '100%' }}>
        {phone ? (
          <Drawer
            open={drawer}
            onClose={() => setDrawer(false)}
            placement="left"
            title={t('app.name')}
            size={260}
          >
            <Suspense fallback={null}>
              <GlobalSearch width="100%" onPicked={() => setDrawer(false)} />
              <div style={{ margin: '8px 0' }}>
                <CompanySwitcher onSwitchTenant={onSignOut} />
              </div>
            </Suspense>
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider
            theme={mode}
            width={220}
            collapsible
            // The menu scrolls by itself and stays in view while a long page scrolls.
            style={{ position: 'sticky', top: 0, height: '100vh', overflowY: 'auto' }}
          >
            <Typography.Title level={5} style={{ padding: '16px 16px 0' }}>
              {t('app.name')}
            </Typography.Title>
            {menu}
          </Layout.Sider>
        )}
        <Layout>
          <Layout.Header
            style={{
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              padding: '0 12px',
              background: 'transparent',
            }}
          >
            {phone ? (
              <Button aria-label={t('shell.menu')} onClick={() => setDrawer(true)}>
                ☰
              </Button>
            ) : (
              <span />
            )}
            <Space wrap>
              <Suspense fallback={null}>
                {!phone && <GlobalSearch width={240} />}
                {!phone && <CompanySwitcher onSwitchTenant={onSignOut} />}
                <NotificationBell />
              </Suspense>
              <LanguageSwitch />
              <Switch
                checked={mode === 'dark'}
                onChange={toggle}
                checkedChildren={t('shell.dark')}
                unCheckedChildren={t('shell.light')}
              />
              {/* On a phone the account is a short link; the user's name needs the width. */}
              <Button
                type="link"
                size="small"
                onClick={() => navigate('/settings/account')}
                title={t('account.title')}
              >
                {phone ? t('account.title') : nav.data.user.username}
              </Button>
              <Button size="small" onClick={onSignOut}>
                {t('shell.logout')}
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content className="tenon-content">
            <FieldServicesProvider>{children}</FieldServicesProvider>
          </Layout.Content>
        </Layout>
      </Layout>
    </NavigationContext.Provider>
  );
}
