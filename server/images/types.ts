/** The image vocabulary shared by inspection, rendering and the stores. */

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** Which pixels an edit repaints: the mask's transparent area, the image's own transparency, or all of it. */
export type EditArea = 'mask' | 'alpha' | 'whole';
