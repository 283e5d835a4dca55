/**
 * Node configuration: {@code conf/jobsched.json} defaults plus {@code JOBSCHED_<SECTION>_<KEY>} environment
 * overrides, validated once at start-up.
 *
 * <p>Guarantee: a node never starts on a configuration it did not understand. Unknown sections, unknown keys,
 * values of the wrong type or out of range fail start-up with a {@link io.jobsched.config.ConfigException}
 * whose message names the key.
 */
package io.jobsched.config;
