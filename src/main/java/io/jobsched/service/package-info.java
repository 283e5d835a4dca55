/**
 * Operations on jobs and runs, shared by every interface (REST now, the event bus next), so behaviour
 * cannot differ between them. Failures are {@link io.jobsched.service.ApiException}s carrying the status
 * and error code of API.md.
 */
package io.jobsched.service;
