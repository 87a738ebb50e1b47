import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Draws the Teams app icons: color.png (192×192, white interlocking rings on UN blue) and outline.png
 * (32×32, white rings on transparent), as Teams requires. Pixels are computed from the ring geometry
 * with anti-aliased edges and written as RGBA PNGs.
 */

type Rgba = [number, number, number, number];
const UN_BLUE: Rgba = [0, 158, 219, 255];
const WHITE: Rgba = [255, 255, 255, 255];

export async function writeTeamsIcons(dir: string): Promise<void> {
  await writeFile(join(dir, 'color.png'), icon(192, UN_BLUE, 0.09));
  await writeFile(join(dir, 'outline.png'), icon(32, [0, 0, 0, 0], 0.1));
}

function icon(size: number, background: Rgba, ringWidth: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const rings = [
    { x: 0.38, y: 0.5 },
    { x: 0.62, y: 0.5 },
  ];
  const radius = 0.22;
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (rings.some((c) => Math.abs(Math.hypot(x - c.x, y - c.y) - radius) <= ringWidth / 2)) covered++;
        }
      }
      const alpha = covered / (samples * samples);
      const offset = (py * size + px) * 4;
      for (let channel = 0; channel < 3; channel++) pixels[offset + channel] = Math.round(WHITE[channel] * alpha + background[channel] * (1 - alpha));
      pixels[offset + 3] = Math.round(255 * alpha + background[3] * (1 - alpha));
    }
  }
  return png(size, size, pixels);
}

function png(width: number, height: number, rgba: Buffer): Buffer {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
