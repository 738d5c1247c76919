import { defineErrors } from '@tenon/core';

export const IdentityErrors = defineErrors({
  AUTH_REQUIRED: { status: 401, 'zh-CN': '请先登录', en: 'Authentication required' },
  AUTH_INVALID_TOKEN: {
    status: 401,
    'zh-CN': '访问令牌无效或已过期',
    en: 'The access token is invalid or expired',
  },
  AUTH_INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  AUTH_LOCKED: {
    status: 429,
    'zh-CN': '登录失败次数过多，请在 {seconds} 秒后重试',
    en: 'Too many failed sign-ins; try again in {seconds} seconds',
  },
  AUTH_DISABLED: { status: 403, 'zh-CN': '账号已停用', en: 'This account is disabled' },
  AUTH_TENANT_REQUIRED: {
    status: 400,
    'zh-CN': '该用户属于多个租户，请指定租户',
    en: 'This user belongs to several tenants; name the tenant',
  },
  AUTH_NO_MEMBERSHIP: {
    status: 403,
    'zh-CN': '用户不属于该租户',
    en: 'The user is not a member of this tenant',
  },
  AUTH_MFA_REQUIRED: { status: 401, 'zh-CN': '需要动态验证码', en: 'A one-time code is required' },
  AUTH_MFA_INVALID: { status: 401, 'zh-CN': '动态验证码错误', en: 'The one-time code is wrong' },
  AUTH_MFA_ENABLED: {
    status: 409,
    'zh-CN': '已启用动态验证码，请先用密码关闭',
    en: 'MFA is already on; switch it off with the password first',
  },
  AUTH_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    'zh-CN': '首次登录须修改密码',
    en: 'The password must be changed before continuing',
  },
  AUTH_SESSION_REQUIRED: {
    status: 403,
    'zh-CN': '此操作须登录后进行，API 令牌不能管理账号',
    en: 'This needs a signed-in session; API tokens cannot manage the account',
  },
  AUTH_REFRESH_INVALID: {
    status: 401,
    'zh-CN': '刷新令牌无效，请重新登录',
    en: 'The refresh token is invalid; sign in again',
  },
  AUTH_WEAK_PASSWORD: {
    status: 422,
    'zh-CN': '密码太弱：至少 10 个字符，且不能与用户名相同',
    en: 'Password too weak: at least 10 characters, and not the username',
  },
  USER_EXISTS: { status: 409, 'zh-CN': '用户名已存在：{username}', en: 'Username already taken: {username}' },
  USER_INVALID: { status: 422, 'zh-CN': '用户名无效', en: 'Invalid username' },
  USER_NOT_FOUND: { status: 404, 'zh-CN': '用户不存在：{username}', en: 'No such user: {username}' },
  USER_OF_OTHER_TENANTS: {
    status: 409,
    'zh-CN': '用户 {username} 也属于其他租户，只能由系统运维人员重置密码',
    en: 'User {username} also belongs to other tenants; only the system operator can reset the password',
  },
  ROLE_NOT_FOUND: { status: 404, 'zh-CN': '角色不存在：{role}', en: 'No such role: {role}' },
  ROLE_INVALID: { status: 422, 'zh-CN': '角色定义无效', en: 'Invalid role definition' },
  ROLE_EXISTS: { status: 409, 'zh-CN': '角色已存在：{role}', en: 'A role named {role} exists already' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; slow down' },
});
