#!/usr/bin/env node
'use strict';
require('../dist/bundle/cli.cjs').main('pier');
