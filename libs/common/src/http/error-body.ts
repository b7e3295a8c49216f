/** The one error shape every HTTP response uses. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
  requestId: string;
}
