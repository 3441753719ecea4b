/** The current user (React Query key `['auth']`), and the login/logout actions that reset every cached answer. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchAuthInfo, login, logout } from './authApi';
import { queryKeys } from '../api/queryKeys';

export const AUTH_KEY = queryKeys.auth();

/** Who the user is: asked by the gate, and first thing at start (main.tsx) so that it overtakes the page's data. */
export const authInfoQuery = queryOptions({ queryKey: AUTH_KEY, queryFn: ({ signal }) => fetchAuthInfo(signal), staleTime: 60_000, retry: 1 });

export function useAuthInfo() {
  return useQuery(authInfoQuery);
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => login(token),
    onSuccess: (info) => {
      // Answers cached for nobody (or someone else) must not be shown to this user.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== AUTH_KEY[0] });
      client.setQueryData(AUTH_KEY, info);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => logout(),
    onSuccess: (info) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== AUTH_KEY[0] });
      client.setQueryData(AUTH_KEY, info);
    },
  });
}
