/** Version of Remex reported by `/api/status` and `GET /features`. */
export const REMEX_VERSION = '0.1.0';
