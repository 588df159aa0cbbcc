import type { Position } from '../types';

/** 1e-5° ≈ 1 m: far below 1:50m accuracy, and keeps the shipped files small and diffable. */
const SCALE = 1e5;

export function roundCoordinate(value: number): number {
  return Math.round(value * SCALE) / SCALE;
}

export function roundPosition(position: readonly number[]): Position {
  return [roundCoordinate(position[0]!), roundCoordinate(position[1]!)];
}

export function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
