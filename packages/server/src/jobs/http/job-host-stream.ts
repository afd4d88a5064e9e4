/**
 * @module
 * Server-Sent Events of one host of a job (`GET /api/job_invocations/:id/stream?host_id=`):
 * that host's line sets as `output` events, exactly the rows of the host output endpoint in
 * row-id order (including the synthetic `Exit status: N` line; SSE `id` = row id), its status as
 * `host` events, and `done` once its task has stopped. The database is the source: bus messages
 * (and every keep-alive, for events stored by another server process) only wake a reader that
 * sends the rows after the last id sent, so nothing is skipped or sent twice across reconnects.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { ServerContext } from '../../context.ts';
import type { JobMessage } from '../../events/event-bus.ts';
import { openEventStream, replayStoredRows } from '../../http/event-stream.ts';
import { lineSetOf } from './job-output.ts';
import { serializeJobHost } from './job-serializer.ts';

const PAGE = 500;

/** The task followed: its id and its host. */
export interface FollowedTask {
  id: number;
  hostId: number;
  hostName: string;
}

/**
 * Streams one host's output of job `jobId` until its task stops or the client leaves.
 * @param ctx - server context (store and event bus)
 * @param jobId - the job
 * @param task - the host's task in that job
 * @param req - the request (`Last-Event-ID` resumes after that row)
 * @param reply - the reply, hijacked for the stream
 */
export function streamJobHost(ctx: ServerContext, jobId: number, task: FollowedTask, req: FastifyRequest, reply: FastifyReply): void {
  const db = ctx.store.db;
  let reading = false;
  let again = false;
  let lastStatus = '';
  const stream = openEventStream(req, reply, () => wake());
  let lastId = stream.lastEventId;

  /** Sends what is new; ends the stream once the task has stopped and all its rows are out. */
  const readNew = async (): Promise<void> => {
    // State first: a task seen stopped has all its rows stored (same transaction), so the rows
    // read next include its last ones.
    const row = await db
      .selectFrom('template_invocations')
      .select(['host_id', 'state', 'result', 'exit_status', 'message', 'smart_proxy_id'])
      .where('id', '=', task.id)
      .executeTakeFirst();
    lastId = await replayStoredRows(
      stream,
      lastId,
      PAGE,
      (after) =>
        db
          .selectFrom('template_invocation_events')
          .select(['id', 'event_type', 'data', 'timestamp'])
          .where('task_id', '=', task.id)
          .where('id', '>', after)
          .where('event_type', '!=', 'started')
          .orderBy('id')
          .limit(PAGE)
          .execute(),
      (r) => stream.send('output', { host_id: task.hostId, host_name: task.hostName, ...lineSetOf(r) }, r.id),
    );
    if (stream.closed) return;
    if (!row) {
      stream.end();
      return;
    }
    const shown = serializeJobHost({ ...row, name: task.hostName });
    const status = { host_id: task.hostId, host_name: task.hostName, job_status: String(shown.job_status), exit_status: row.exit_status };
    if (status.job_status !== lastStatus) {
      lastStatus = status.job_status;
      stream.send('host', status);
    }
    if (row.state === 'stopped') {
      stream.send('done', status);
      stream.end();
    }
  };

  /** Runs {@link readNew}, one at a time; a wake-up during a read runs it once more. */
  function wake(): void {
    if (stream.closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    void readNew()
      .catch(() => stream.end())
      .finally(() => {
        reading = false;
        if (again) wake();
      });
  }

  const relevant = (m: JobMessage) => m.kind === 'progress' || m.hostId === task.hostId;
  stream.onClose(
    ctx.bus.subscribe(jobId, (messages) => {
      if (messages.some(relevant)) wake();
    }),
  );
  wake();
}
