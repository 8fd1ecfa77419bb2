#!/usr/bin/env node
'use strict';
require('./load-bundle.cjs').run('pier');
