export { printable } from './printable.ts';
