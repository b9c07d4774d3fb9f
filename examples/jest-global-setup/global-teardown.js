// jest globalTeardown: close the sandbox started by global-setup.js (frees its port).
module.exports = async function globalTeardown() {
  await globalThis.__IMAGE_EDITS_SANDBOX__?.close();
};
