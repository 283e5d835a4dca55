/** Small helpers shared by the packages that talk to Redis. */
package io.jobsched.redis;
