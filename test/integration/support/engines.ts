import Docker from 'dockerode';

// Integration tests need the real engines. Outside CI a missing engine skips them with a message;
// in CI (REBOUND_REQUIRE_ENGINES=1 or CI=true) it fails them: nothing that needs Docker or kind may
// be skipped there.
export const enginesRequired = process.env.REBOUND_REQUIRE_ENGINES === '1' || process.env.CI === 'true';

export async function dockerAvailable(): Promise<boolean> {
  try {
    await new Docker().ping();
    return true;
  } catch (error) {
    if (enginesRequired) throw new Error(`the Docker engine does not answer and engines are required here: ${String(error)}`);
    console.warn(`skipping Docker integration tests: no engine answers (${String(error)}); run bash scripts/ensure-docker.sh`);
    return false;
  }
}
