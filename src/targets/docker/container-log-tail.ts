import type Docker from 'dockerode';

/**
 * The last lines a container wrote (stdout and stderr), for an error message: a failed deploy
 * removes its containers, so `docker logs` is no longer there to ask. Empty when unavailable.
 */
export async function containerLogTail(docker: Docker, name: string, lines: number): Promise<string[]> {
  try {
    const raw = (await docker.getContainer(name).logs({ stdout: true, stderr: true, tail: lines })) as unknown as Buffer;
    return demultiplex(raw).split('\n').map((line) => line.trimEnd()).filter((line) => line !== '').slice(-lines);
  } catch {
    // No logs (the container is gone, or the engine refuses): the message goes without them.
    return [];
  }
}

// Without a TTY the engine multiplexes both streams into frames: 1 byte stream id, 3 zero bytes,
// a 4-byte big-endian length, then the payload (moby's stdcopy). A TTY container sends plain text.
function demultiplex(raw: Buffer): string {
  if (raw.length < 8 || raw[1] !== 0 || raw[2] !== 0 || raw[3] !== 0 || (raw[0] ?? 9) > 2) return raw.toString('utf8');
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
