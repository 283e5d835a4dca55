/**
 * The REST API ({@code /api/v1}), health, and the dashboard's static files. Handlers only translate
 * HTTP to the {@code service} layer and back.
 *
 * <p>Guarantees: every error is {@code {"error", "message", "details"}} with a fitting status; bad input
 * (malformed JSON, unknown fields, oversized bodies, bad parameters and cursors) is rejected before anything
 * changes, a 400 naming the field; a backend outage ({@link io.jobsched.api.Outages}) or a request not answered
 * within {@code http.request_timeout_ms} is 503 {@code unavailable} with {@code Retry-After}, on REST and the
 * event bus alike; a known path with a wrong method is 405 with {@code Allow}; unexpected failures answer 500
 * without internals and are logged. The dashboard's files ({@link io.jobsched.api.DashboardRoutes}) need no token
 * and always carry a Content-Security-Policy that allows only the node's own scripts, styles and API.
 */
package io.jobsched.api;
