export declare const REDIS_URL_ENV: 'SANDBOX_TEST_REDIS_URL';
export declare const REDIS_REQUIRED_ENV: 'SANDBOX_TEST_REDIS';
export declare function redisServerPath(): string | undefined;
export declare function redisAvailability(): { available: true } | { available: false; why: string };
