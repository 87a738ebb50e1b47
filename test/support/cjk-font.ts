import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A font file with both Chinese and Latin glyphs, and the face to use when the file is a collection (.ttc). */
export interface CjkFont {
  path: string;
  family?: string;
}

/** Fonts known to cover Chinese and Latin alike (Droid Sans Fallback, for one, has no Latin glyphs). */
const KNOWN: CjkFont[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'AR PL UMing CN' },
];

/**
 * Finds a font that can typeset the corpus's Chinese text into test PDFs: a known Debian font first,
 * then whatever fontconfig lists for Chinese. `.ci/run` installs fonts-wqy-zenhei.
 */
export function findCjkFont(): CjkFont {
  const known = KNOWN.find((font) => existsSync(font.path));
  if (known) return known;
  const listed = fontconfigChineseFonts().find(
    (font) => /\.(ttf|otf|ttc)$/i.test(font.path) && !/fallback/i.test(font.path) && existsSync(font.path),
  );
  if (listed) return listed;
  throw new Error(
    'No font with Chinese glyphs found for the PDF tests: install one, e.g. `apt-get install -y fonts-wqy-zenhei` (as .ci/run does).',
  );
}

function fontconfigChineseFonts(): CjkFont[] {
  try {
    return execFileSync('fc-list', [':lang=zh', '-f', '%{file}|%{postscriptname}\\n'], { encoding: 'utf8' })
      .split('\n')
      .filter((row) => row.includes('|'))
      .map((row) => {
        const [path, family] = row.split('|');
        return { path, family: path.toLowerCase().endsWith('.ttc') ? family : undefined };
      });
  } catch {
    return [];
  }
}
