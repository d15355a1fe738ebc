// "HH:MM" wall-clock times as minutes since local midnight.
export const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
