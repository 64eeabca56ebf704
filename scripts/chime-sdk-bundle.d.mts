/** The only module that imports amazon-chime-sdk-js (loaded on demand by core's loadChimeSdk). */
export const CHIME_SDK_MODULE: string;
/** The Chime SDK module as one self-contained browser ES module. */
export function bundleChimeSdkModule(options?: { minify?: boolean }): Promise<string>;
