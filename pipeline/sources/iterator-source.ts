/** Source: any async iterator of batches as a ReadableStream, pulled one batch at a time; cancelling ends the iterator. */

/**
 * @example
 * iteratorSource(new CaptureReader(dir).batches()).pipeThrough(new FilterEntriesStream(filter))
 */
export function iteratorSource<T>(it: AsyncIterator<T>): ReadableStream<T> {
  return new ReadableStream<T>(
    {
      async pull(controller) {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await it.return?.(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
