import { slots } from '../../../server/images/slots';

describe('slots', () => {
  it('runs at most `count` tasks at once, the rest in arrival order, and passes results and errors through', async () => {
    const limit = slots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      order.push(i);
      if (i === 3) throw new Error('three');
      return i * 10;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => limit.run(task(i))));
    expect(most).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, 'three', 40, 50]);
    expect(order.slice(0, 2).sort()).toEqual([0, 1]);
    expect(await limit.run(async () => 'after an error')).toBe('after an error');
  });
});
