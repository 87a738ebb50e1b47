import { mkdir, readFile, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import AdmZip from 'adm-zip';
import { loadSettings } from '../config/settings.ts';
import { writeTeamsIcons } from '../scripts/teams-icons.ts';

/**
 * `npm run package:teams`: appPackage/manifest.json with the bot id (MICROSOFT_APP_ID) filled in, zipped
 * with the two icons into appPackage/build/, ready to upload to Teams (Apps → Manage your apps → Upload an
 * app) or to the Teams admin center.
 */

const APP_DIR = resolve(import.meta.dirname, '..', 'appPackage');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function packageTeamsApp(appId: string | undefined, appDir = APP_DIR): Promise<string> {
  if (!appId || !GUID.test(appId)) {
    throw new Error(
      `MICROSOFT_APP_ID (or MicrosoftAppId) must be the bot's Microsoft app id (a GUID such as 00000000-0000-0000-0000-000000000000); got ${JSON.stringify(appId ?? '')}. Set it in .env or the environment.`,
    );
  }
  const manifest = JSON.parse((await readFile(join(appDir, 'manifest.json'), 'utf8')).replaceAll('${{MICROSOFT_APP_ID}}', appId.toLowerCase()));

  if (!(await exists(join(appDir, 'color.png'))) || !(await exists(join(appDir, 'outline.png')))) await writeTeamsIcons(appDir);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'));
  zip.addFile('color.png', await readFile(join(appDir, 'color.png')));
  zip.addFile('outline.png', await readFile(join(appDir, 'outline.png')));
  await mkdir(join(appDir, 'build'), { recursive: true });
  const target = join(appDir, 'build', `partnership-assistant-${manifest.version}.zip`);
  zip.writeZip(target);
  return target;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

if (import.meta.filename === process.argv[1]) {
  packageTeamsApp(loadSettings().MICROSOFT_APP_ID).then(
    (target) => console.log(`Teams app package: ${target}`),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
