/**
 * Reads several slices at once (a manifest's `concurrency_level`) and yields their items as they
 * come, each slice's items in order, followed by a `done` marker for that slice. At most `limit`
 * slices are in flight, and each worker waits while the shared queue is full, so memory stays
 * bounded however many records there are. The first error stops every worker and is rethrown,
 * unless `isolateFailures`: then a slice that fails ends with a `failed` event (after the items it
 * gave) and the other slices go on, as the CDK's concurrent read does. An error of the slice
 * generator itself always stops the read.
 */
export type SliceEvent<S, R> =
  | { slice: S; item: R; done?: false; failed?: undefined }
  | { slice: S; done: true; failed?: undefined }
  | { slice: S; failed: { error: unknown }; done?: false };

export async function* readConcurrently<S, R>(
  slices: AsyncIterable<S>,
  limit: number,
  readSlice: (slice: S) => AsyncIterable<R>,
  highWaterMark = 1000,
  isolateFailures = false,
): AsyncIterable<SliceEvent<S, R>> {
  if (limit <= 1) {
    for await (const slice of slices) {
      try {
        for await (const item of readSlice(slice)) yield { slice, item };
      } catch (error) {
        if (!isolateFailures) throw error;
        yield { slice, failed: { error } };
        continue;
      }
      yield { slice, done: true };
    }
    return;
  }

  const queue: SliceEvent<S, R>[] = [];
  let failure: { error: unknown } | undefined;
  let wakeConsumer: (() => void) | undefined;
  const producersWaiting: Array<() => void> = [];
  let running = 0;
  let exhausted = false;
  let stopped = false;

  const notify = () => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };
  const roomAvailable = async () => {
    while (queue.length >= highWaterMark && !stopped) await new Promise<void>((r) => producersWaiting.push(r));
  };
  const releaseProducers = () => {
    while (producersWaiting.length > 0 && queue.length < highWaterMark) producersWaiting.shift()?.();
  };

  const iterator = slices[Symbol.asyncIterator]();
  let pulling: Promise<void> = Promise.resolve();

  const startNext = (): void => {
    // Slices are pulled one at a time: the slice generator is not re-entrant.
    pulling = pulling.then(async () => {
      if (exhausted || stopped || failure) return;
      let next: IteratorResult<S>;
      try {
        next = await iterator.next();
      } catch (error) {
        failure ??= { error };
        notify();
        return;
      }
      if (next.done) {
        exhausted = true;
        notify();
        return;
      }
      running += 1;
      void work(next.value);
    });
  };

  const work = async (slice: S): Promise<void> => {
    try {
      for await (const item of readSlice(slice)) {
        if (stopped) return;
        queue.push({ slice, item });
        notify();
        await roomAvailable();
      }
      queue.push({ slice, done: true });
    } catch (error) {
      if (isolateFailures && !stopped) queue.push({ slice, failed: { error } });
      else failure ??= { error };
    } finally {
      running -= 1;
      notify();
      if (!failure && !stopped) startNext();
    }
  };

  for (let i = 0; i < limit; i += 1) startNext();
  try {
    for (;;) {
      if (failure) throw failure.error;
      const event = queue.shift();
      if (event) {
        releaseProducers();
        yield event;
        continue;
      }
      await pulling;
      if (exhausted && running === 0 && queue.length === 0) {
        if (failure) throw (failure as { error: unknown }).error;
        return;
      }
      if (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  } finally {
    stopped = true;
    for (const release of producersWaiting.splice(0)) release();
  }
}
