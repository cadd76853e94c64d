import { createContext, useContext } from 'react';
import type { Principal } from '../../contracts/accounts';

export interface Auth {
  principal: Principal;
  signOut(): Promise<void>;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('AuthContext is missing');
  return auth;
}
