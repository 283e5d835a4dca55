// Write actions shared by the Jobs, Job and Runs pages; each resolves to a message for the user.

import { del, enc, post } from './api.js';

export async function runNow(jobId) {
  const run = await post(`/jobs/${enc(jobId)}/trigger`);
  return { text: `Run ${run.id.slice(0, 8)}… of ${jobId} is ${run.status}`, runId: run.id };
}

export async function setPaused(jobId, paused) {
  await post(`/jobs/${enc(jobId)}/${paused ? 'pause' : 'resume'}`);
  return { text: `${jobId} ${paused ? 'paused' : 'resumed'}` };
}

export async function deleteJob(jobId) {
  await del(`/jobs/${enc(jobId)}`);
  return { text: `${jobId} deleted (its history is kept)`, deleted: true };
}

export async function cancelRun(runId) {
  const run = await post(`/runs/${enc(runId)}/cancel`);
  return { text: `Cancel of run ${runId.slice(0, 8)}… requested (${run.status})`, runId };
}

export async function rollback(jobId, version) {
  const job = await post(`/jobs/${enc(jobId)}/rollback`, { version });
  return { text: `${jobId}: version ${version} restored as version ${job.version}` };
}
