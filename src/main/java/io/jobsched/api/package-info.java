/**
 * The REST API ({@code /api/v1}), health, and the dashboard's static files. Handlers only translate
 * HTTP to the {@code service} layer and back.
 *
 * <p>Guarantees: every error is {@code {"error", "message", "details"}} with a fitting status; bad input
 * (malformed JSON, unknown fields, oversized bodies, bad parameters) is rejected before anything changes;
 * unexpected failures answer 500 without internals and are logged.
 */
package io.jobsched.api;
