import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';

// The JUnit schema the Jenkins xunit plugin validates against (restated in test/fixtures), checked
// by libxml2's own validator: xmllint compiled to WebAssembly, so the unit tests need no system package.
const SCHEMA = readFileSync(new URL('../../fixtures/junit-jenkins-xunit.xsd', import.meta.url), 'utf8');

/** The schema errors xmllint reports for a JUnit document; empty when it is valid. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [SCHEMA] });
  return result.errors.map((error) => error.rawMessage);
}
