/**
 * Settling an attempt: the one routine through which the worker that ran a run, and the reaper for a
 * worker that vanished, end it.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A result is recorded only under the token of the claim that started the run and while the run is
 *       RUNNING; a fenced result writes nothing and is reported as such.</li>
 *   <li>The follow-ups of a result (retry, timeout handler run, chained runs) are created by the same
 *       statement, so they exist exactly when the result does, once each; they are queued after the commit,
 *       and a lost queueing is healed by the reaper's re-enqueue of PENDING runs.</li>
 *   <li>The claim's lease is released after the result is written (token-checked, so a newer claim's lease
 *       is left alone); a lost release expires and the reaper finds the result already recorded.</li>
 * </ul>
 */
package io.jobsched.settle;
