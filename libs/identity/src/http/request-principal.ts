import type { Principal } from '../principal';

/**
 * The principal of a request, keyed by the request object. A WeakMap (rather than a property on
 * the request) cannot be set by anything but the guard and disappears with the request.
 */
const principals = new WeakMap<object, Principal>();

export function setRequestPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

export function getRequestPrincipal(request: object): Principal | undefined {
  return principals.get(request);
}
