import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EnvironmentError, errorMessage } from '../../common/errors.js';

/** The chart library's code and CSS, inlined into the page so it opens without a network. */
export interface ChartAssets {
  script: string;
  css: string;
}

const require = createRequire(import.meta.url);

/** uPlot's IIFE build and CSS, read from the installed `uplot` package (a runtime dependency). */
export function loadUplotAssets(): ChartAssets {
  try {
    return {
      script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  } catch (error) {
    throw new EnvironmentError(`cannot read the chart library for the HTML report: ${errorMessage(error)}`, { hint: 'reinstall rebound\'s dependencies (npm ci): the html reporter inlines node_modules/uplot/dist', cause: error });
  }
}
