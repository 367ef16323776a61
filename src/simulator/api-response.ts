// The shape of what an endpoint answers (status, headers, body text) and the JSON error body every
// non-200 carries: { code, message }. Writing to the socket happens in request-pipeline.ts.

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return { status, headers, body: JSON.stringify(value) };
}

export function errorResponse(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ApiResponse {
  return jsonResponse(status, { code: status, message }, headers);
}
