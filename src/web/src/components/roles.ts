import type { Role } from '../../../contracts/common';

/** Which roles see which console pages; the same lists the operations table gives the server. */
export const ADMIN_ONLY: readonly Role[] = ['admin'];
export const FLOW_EDITORS: readonly Role[] = ['admin', 'supervisor'];
export const PROVIDER_VIEWERS: readonly Role[] = ['admin', 'supervisor', 'analyst'];
