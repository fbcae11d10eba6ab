export { hasRole, LOCAL_ADMIN, mayViewAccount, mayViewDesk, Principal, Role } from './principal.ts';
