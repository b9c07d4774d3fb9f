// Images the journal keeps, shown as thumbnails. Without an admin token they are plain
// same-origin URLs; with one they are fetched with the token and shown from blob: URLs
// (released when the detail they belong to is replaced).
import { el, formatBytes } from './dom.js';

const THUMB = 160; // px, the longest side of a thumbnail

function fitted(width, height) {
  const w = width || THUMB;
  const h = height || THUMB;
  const scale = Math.min(1, THUMB / Math.max(w, h));
  return [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))];
}

export function createImages(api, hasToken) {
  let made = [];
  let generation = 0;

  async function source(url) {
    if (!hasToken()) return url;
    const asked = generation;
    const bytes = await api.blob(url);
    if (asked !== generation) throw new Error('the detail it was for is gone');
    const objectUrl = URL.createObjectURL(bytes);
    made.push(objectUrl);
    return objectUrl;
  }

  function load(url) {
    return source(url).then(
      (src) =>
        new Promise((resolve, reject) => {
          const img = new Image();
          img.onload = () => resolve(img);
          img.onerror = () => reject(new Error(`could not load ${url}`));
          img.src = src;
        }),
    );
  }

  /** A figure: the image (or a note when its bytes were released), a caption, a link to the full image. */
  function thumbnail(kind, url, caption, width, height) {
    const [w, h] = fitted(width, height);
    const figure = el('figure', { class: `thumb ${kind}`, 'data-kind': kind });
    if (url) {
      const img = el('img', { alt: caption, width: w, height: h });
      const link = el('a', { href: url, target: '_blank', rel: 'noopener' }, img);
      figure.append(link);
      img.onload = () => (figure.dataset.loaded = 'true');
      img.onerror = () => figure.classList.add('missing');
      source(url).then(
        (src) => {
          img.src = src;
          link.href = src; // a new tab would not send the token
        },
        () => figure.classList.add('missing'),
      );
    } else {
      const gone = el('div', { class: 'gone', text: 'bytes released' });
      gone.style.width = `${w}px`; // CSSOM, which the page's CSP allows (a style attribute it would not)
      gone.style.height = `${h}px`;
      figure.append(gone);
    }
    figure.append(el('figcaption', { text: caption }));
    return figure;
  }

  /** The first image with the mask's editable (transparent) area tinted over it. */
  function maskOverImage(image, mask) {
    const [w, h] = fitted(image.width, image.height);
    const canvas = el('canvas', { width: w, height: h, role: 'img', 'aria-label': 'the first image, tinted where the mask lets the edit repaint' });
    const figure = el('figure', { class: 'thumb mask', 'data-kind': 'mask' }, canvas, el('figcaption', { text: `mask over image · ${mask.filename} · ${mask.width ?? '?'}×${mask.height ?? '?'}` }));
    if (!image.url || !mask.url) {
      figure.classList.add('missing');
      return figure;
    }
    Promise.all([load(image.url), load(mask.url)]).then(
      ([picture, maskImage]) => {
        const ctx = canvas.getContext('2d');
        ctx.drawImage(picture, 0, 0, w, h);
        const scratch = document.createElement('canvas');
        scratch.width = w;
        scratch.height = h;
        const sctx = scratch.getContext('2d');
        sctx.drawImage(maskImage, 0, 0, w, h);
        const alpha = sctx.getImageData(0, 0, w, h).data;
        const pixels = ctx.getImageData(0, 0, w, h);
        for (let i = 0; i < pixels.data.length; i += 4) {
          if (alpha[i + 3] >= 128) continue; // opaque mask: kept as is
          pixels.data[i] = Math.round(pixels.data[i] * 0.4 + 255 * 0.6);
          pixels.data[i + 1] = Math.round(pixels.data[i + 1] * 0.4);
          pixels.data[i + 2] = Math.round(pixels.data[i + 2] * 0.4 + 200 * 0.6);
          pixels.data[i + 3] = 255;
        }
        ctx.putImageData(pixels, 0, 0);
        figure.dataset.loaded = 'true';
      },
      () => figure.classList.add('missing'),
    );
    return figure;
  }

  /** An upload's caption: where it was sent, its name, size and format. */
  function uploadCaption(file, i) {
    return `${file.field} #${i} · ${file.filename} · ${file.width ?? '?'}×${file.height ?? '?'} ${file.format ?? file.content_type} · ${formatBytes(file.bytes)}`;
  }

  return {
    thumbnail,
    maskOverImage,
    uploadCaption,
    /** Releases the blob: URLs made so far (the detail they were for is gone). */
    release() {
      generation++;
      for (const url of made) URL.revokeObjectURL(url);
      made = [];
    },
  };
}
