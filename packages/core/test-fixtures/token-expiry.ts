/** When a Proctorkit token (a JWT) expires, ms since epoch, read from its payload without checking it. */
export function expiryOf(token: string): number {
  const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number };
  return payload.exp * 1000;
}
