/**
 * @module
 * Server-Sent Events stream of one job: `progress`, `host`, `output` and a final `done`.
 * Output events carry their row id as SSE `id`; a reconnecting client sends `Last-Event-ID`
 * and gets what it missed from the database before live events resume. The replay waits for
 * the client between rows (see `EventStream.drained`); live events beyond what a slow client
 * can take get it dropped (see `event-stream.ts`), and it resumes the same way.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { ServerContext } from '../../context.ts';
import type { JobMessage, OutputMessage } from '../../events/event-bus.ts';
import { frameEvent, openEventStream, replayStoredRows } from '../../http/event-stream.ts';
import { countTasks, progressOf } from './job-serializer.ts';

const REPLAY_PAGE = 500;
/** Most bus messages held while the stored output is replayed; more start another replay pass. */
const MAX_BUFFERED = 2000;
const PROGRESS_THROTTLE_MS = 250;

/** Framed `output` events of bus messages: framed once, however many streams send them. */
const frames = new WeakMap<OutputMessage, string>();

function outputFrame(m: OutputMessage): string {
  let frame = frames.get(m);
  if (frame === undefined) {
    frame = frameEvent('output', { host_id: m.hostId, host_name: m.hostName, output_type: m.outputType, output: m.output, timestamp: m.timestamp }, m.eventId);
    frames.set(m, frame);
  }
  return frame;
}

/**
 * Streams job `jobId` to the client until the job stops or the client leaves.
 * @param outputs - false: progress and host events only (no stored output replayed, no live output)
 */
export async function streamJob(ctx: ServerContext, jobId: number, req: FastifyRequest, reply: FastifyReply, outputs = true): Promise<void> {
  const db = ctx.store.db;
  const stream = openEventStream(req, reply);
  let lastId = stream.lastEventId;
  const write = (event: string, data: unknown, id?: number) => stream.send(event, data, id);
  const end = () => stream.end();

  let progressTimer: NodeJS.Timeout | null = null;
  let finished = false;
  const sendProgress = async () => {
    progressTimer = null;
    const job = await db.selectFrom('job_invocations').selectAll().where('id', '=', jobId).executeTakeFirst();
    if (!job || stream.closed) return;
    const counts = (await countTasks(db, [jobId])).get(jobId);
    if (!counts) return;
    const p = progressOf(job, counts);
    write('progress', p);
    if (job.state === 'stopped' && !finished) {
      finished = true;
      write('done', p);
      end();
    }
  };
  const scheduleProgress = () => {
    progressTimer ??= setTimeout(() => void sendProgress().catch(() => end()), PROGRESS_THROTTLE_MS);
  };

  const buffered: JobMessage[] = [];
  let replaying = true;
  /** Messages were let go during the replay: their rows are read from the database instead. */
  let overflowed = false;
  const onMessages = (messages: readonly JobMessage[]) => {
    if (replaying) {
      buffered.push(...messages);
      if (buffered.length > MAX_BUFFERED) {
        // Output published so far is stored: the next replay pass reads it. (Host and progress
        // messages are few: kept.)
        const kept = buffered.filter((m) => m.kind !== 'output');
        buffered.length = 0;
        buffered.push(...kept);
        overflowed = true;
      }
      return;
    }
    deliver(messages);
  };
  const deliver = (messages: readonly JobMessage[]) => {
    for (const m of messages) {
      if (m.kind === 'output') {
        if (!outputs || m.eventId <= lastId) continue;
        lastId = m.eventId;
        stream.sendFrame(outputFrame(m));
      } else if (m.kind === 'host') {
        write('host', { host_id: m.hostId, host_name: m.hostName, job_status: m.jobStatus, exit_status: m.exitStatus });
      } else if (m.stopped) {
        // The job is done: report it now instead of on the progress throttle.
        if (progressTimer) clearTimeout(progressTimer);
        progressTimer = null;
        void sendProgress().catch(() => end());
      } else {
        scheduleProgress();
      }
    }
  };
  stream.onClose(ctx.bus.subscribe(jobId, onMessages));
  stream.onClose(() => {
    if (progressTimer) clearTimeout(progressTimer);
  });

  try {
    // Replay stored output after Last-Event-ID, page by page; again while messages overflowed.
    for (;;) {
      overflowed = false;
      if (outputs) await replay();
      if (!overflowed || stream.closed) break;
    }
    replaying = false;
    deliver(buffered.splice(0));
    if (!stream.closed) await sendProgress();
  } catch {
    end();
  }

  async function replay(): Promise<void> {
    lastId = await replayStoredRows(
      stream,
      lastId,
      REPLAY_PAGE,
      (after) =>
        db
          .selectFrom('template_invocation_events as e')
          .innerJoin('template_invocations as t', 't.id', 'e.task_id')
          .innerJoin('hosts as h', 'h.id', 't.host_id')
          .select(['e.id', 'e.event_type', 'e.data', 'e.timestamp', 't.host_id', 'h.name'])
          .where('e.job_invocation_id', '=', jobId)
          .where('e.id', '>', after)
          .where('e.event_type', 'in', ['stdout', 'stderr', 'debug'])
          .orderBy('e.id')
          .limit(REPLAY_PAGE)
          .execute(),
      (r) => write('output', { host_id: r.host_id, host_name: r.name, output_type: r.event_type, output: r.data, timestamp: Number(r.timestamp) }, r.id),
    );
  }
}
